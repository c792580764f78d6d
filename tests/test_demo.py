import io

import pandas as pd
import pytest

from skdsa.__main__ import main
from skdsa.demo import run_demo


def test_demo_separates_the_dynamics_that_geometry_cannot(tmp_path, optional_import):
    out = io.StringIO()
    scores = run_demo(output=str(tmp_path), seed=0, out=out)
    dsa, geometry = scores.index
    assert scores.loc[dsa, "1-NN accuracy"] == 1.0
    assert scores.loc[dsa, "silhouette"] > 0.5  # 0.735 measured (seed 0)
    assert scores.loc[geometry, "silhouette"] < 0.2
    text = out.getvalue()
    assert "point #1" in text and "saddle #4" in text
    assert text.startswith("The three systems of the DSA paper's Fig. 3")
    assert "``" not in text  # no reStructuredText markup in the terminal
    # The distance tables and scores it prints are written as CSV too.
    for slug in ("dsa", "procrustes"):
        table = pd.read_csv(tmp_path / f"{slug}_distances.csv", index_col=0)
        assert list(table.index) == list(table.columns) and table.shape == (12, 12)
        assert f"{table.iloc[0, 1]:.4f}" in text
    written_scores = pd.read_csv(tmp_path / "scores.csv", index_col=0)
    pd.testing.assert_frame_equal(written_scores, scores, check_names=False)
    optional_import("matplotlib")
    written = sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".png")
    assert written == ["dsa_eigenvalues.png", "dsa_matrix.png", "dsa_mds.png",
                       "procrustes_matrix.png", "procrustes_mds.png"]


def test_version_and_help_are_plain_text(capsys):
    from skdsa import __version__

    with pytest.raises(SystemExit) as exit_code:
        main(["--version"])
    assert exit_code.value.code == 0 and capsys.readouterr().out == f"skdsa {__version__}\n"
    for command in ([], ["demo"], ["build-zoo"]):
        with pytest.raises(SystemExit):
            main([*command, "--help"])
        text = capsys.readouterr().out
        assert text.startswith("usage: skdsa") and "``" not in text and ":func:" not in text


def test_build_zoo_writes_to_the_current_folder_unless_told(monkeypatch, tmp_path):
    import skdsa.zoo
    from skdsa.zoo import COMPOSITIONAL_SPECS, ZOOS, zoo_path

    written = []
    monkeypatch.setattr(skdsa.zoo, "build_zoo", lambda path, spec, n_jobs: written.append(
        (path, spec)))
    main(["build-zoo", "--zoo", "neurogym"])
    assert written[-1] == ("skdsa-zoo-neurogym.npz", ZOOS["neurogym"])
    assert written[-1][0] != zoo_path("neurogym")  # never the installed package's file
    main(["build-zoo", "--output", str(tmp_path / "zoo.npz")])
    assert written[-1] == (str(tmp_path / "zoo.npz"), ZOOS["universality"])
    monkeypatch.setattr(skdsa.zoo, "build_compositional_zoo",
                        lambda path, spec, n_jobs: written.append((path, spec)))
    main(["build-zoo", "--zoo", "compositional_ssm"])
    assert written[-1] == ("skdsa-zoo-compositional_ssm.npz",
                           COMPOSITIONAL_SPECS["compositional_ssm"])


def test_command_line_entry_point(tmp_path, capsys):
    main(["demo", "--output", str(tmp_path / "figures"), "--seed", "1"])
    printed = capsys.readouterr().out
    # The command prints what run_demo prints for the same seed (all but the timing).
    out = io.StringIO()
    scores = run_demo(output=str(tmp_path / "again"), seed=1, out=out)
    varying = ("Finished in", "Figures written", "Tables written")  # time, folders
    strip = [line for line in printed.splitlines() if not line.startswith(varying)]
    again = [line for line in out.getvalue().splitlines() if not line.startswith(varying)]
    assert strip == again
    assert scores.loc[scores.index[0], "1-NN accuracy"] == 1.0
