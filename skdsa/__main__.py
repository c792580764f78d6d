"""Command line entry point: python -m skdsa demo, python -m skdsa build-zoo."""

import argparse
import sys


def main(argv=None):
    """Run the skdsa command line interface.

    Parameters
    ----------
    argv : list of str or None
        Arguments; None reads ``sys.argv``.
    """
    from . import __version__
    from .zoo import COMPOSITIONAL_ZOOS, ZOOS

    parser = argparse.ArgumentParser(
        prog="skdsa", description="Dynamical Similarity Analysis (DSA) as scikit-learn "
        "estimators: the demo, and rebuilding the shipped RNN zoos.")
    parser.add_argument("--version", action="version", version=f"skdsa {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="run DSA on generated example systems")
    demo.add_argument("--output", default="skdsa-demo-output",
                      help="folder for the figures and distance tables (default: "
                           "%(default)s)")
    demo.add_argument("--seed", type=int, default=0, help="random seed")
    build = commands.add_parser("build-zoo", help="retrain an RNN zoo that skdsa ships")
    build.add_argument("--zoo", default="universality",
                       choices=sorted(ZOOS) + list(COMPOSITIONAL_ZOOS),
                       help="which zoo (default: %(default)s; see skdsa.zoo)")
    build.add_argument("--output", default=None,
                       help="the .npz file to write (default: skdsa-zoo-<zoo>.npz in the "
                            "current folder; the installed package's files are "
                            "replaced only when named here)")
    build.add_argument("--n-jobs", type=int, default=2,
                       help="networks trained in parallel (default: %(default)s)")
    args = parser.parse_args(argv)
    if args.command == "build-zoo":
        from .zoo import COMPOSITIONAL_SPECS, build_compositional_zoo, build_zoo

        output = args.output or f"skdsa-zoo-{args.zoo}.npz"
        if args.zoo in COMPOSITIONAL_SPECS:
            build_compositional_zoo(output, COMPOSITIONAL_SPECS[args.zoo], n_jobs=args.n_jobs)
        else:
            build_zoo(output, ZOOS[args.zoo], n_jobs=args.n_jobs)
        return
    from .demo import run_demo

    run_demo(output=args.output, seed=args.seed, out=sys.stdout)


if __name__ == "__main__":
    main()
