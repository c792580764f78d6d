"""Command line entry point: ``python -m skdsa demo`` and ``python -m skdsa build-zoo``."""

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
    from .zoo import ZOOS

    build = commands.add_parser("build-zoo", help="retrain an RNN zoo that skdsa ships")
    build.add_argument("--zoo", default="universality", choices=sorted(ZOOS),
                       help="which zoo (default: %(default)s; see skdsa.zoo)")
    build.add_argument("--output", default=None,
                       help="the .npz file to write (default: the package's own zoo file)")
    build.add_argument("--n-jobs", type=int, default=2,
                       help="networks trained in parallel (default: %(default)s)")
    args = parser.parse_args(argv)
    if args.command == "build-zoo":
        from .zoo import build_zoo, zoo_path

        build_zoo(args.output or zoo_path(args.zoo), ZOOS[args.zoo], n_jobs=args.n_jobs)
        return
    from .demo import run_demo

    run_demo(output=args.output, seed=args.seed, out=sys.stdout)


if __name__ == "__main__":
    main()
