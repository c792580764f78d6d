import io

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
    optional_import("matplotlib")
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == ["dsa_eigenvalues.png", "dsa_matrix.png", "dsa_mds.png",
                       "procrustes_matrix.png", "procrustes_mds.png"]


def test_command_line_entry_point(tmp_path, capsys):
    main(["demo", "--output", str(tmp_path / "figures"), "--seed", "1"])
    printed = capsys.readouterr().out
    # The command prints what run_demo prints for the same seed (all but the timing).
    out = io.StringIO()
    scores = run_demo(output=str(tmp_path / "again"), seed=1, out=out)
    strip = [line for line in printed.splitlines() if not line.startswith(("Finished in",
                                                                            "Figures written"))]
    again = [line for line in out.getvalue().splitlines()
             if not line.startswith(("Finished in", "Figures written"))]
    assert strip == again
    assert scores.loc[scores.index[0], "1-NN accuracy"] == 1.0
