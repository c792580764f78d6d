"""Command line entry point: ``python -m skdsa demo``."""

import argparse
import sys


def main(argv=None):
    """Run the skdsa command line interface.

    Parameters
    ----------
    argv : list of str or None
        Arguments; None reads ``sys.argv``.
    """
    parser = argparse.ArgumentParser(prog="skdsa", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="run DSA on generated example systems")
    demo.add_argument("--output", default="skdsa-demo-output",
                      help="folder for the figures (default: %(default)s)")
    demo.add_argument("--seed", type=int, default=0, help="random seed")
    args = parser.parse_args(argv)
    from .demo import run_demo

    run_demo(output=args.output, seed=args.seed, out=sys.stdout)


if __name__ == "__main__":
    main()
