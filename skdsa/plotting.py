"""Figures for DSA results (needs the optional extra: ``pip install skdsa[plot]``)."""

import numpy as np

from .comparison._dsa import _last_step
from .stats._mds import mds_embedding

__all__ = ["mds_embedding", "plot_distance_matrix", "plot_eigenvalues", "plot_mds",
           "plot_residual_spectrum", "plot_robustness", "plot_sweep", "sweep_table"]


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as error:
        raise ImportError(
            "Plotting needs matplotlib: pip install 'skdsa[plot]' (or matplotlib)."
        ) from error
    return plt


def _groups(labels, n):
    labels = np.asarray(labels if labels is not None else ["systems"] * n, dtype=object)
    if len(labels) != n:
        raise ValueError(f"labels has {len(labels)} entries for {n} systems.")
    return labels, list(dict.fromkeys(labels))


def _complex_plane(ax, title):
    """Axes for eigenvalues: the unit circle, equal scales, labels and title."""
    angle = np.linspace(0, 2 * np.pi, 400)
    ax.plot(np.cos(angle), np.sin(angle), color="grey", lw=1, label="unit circle")
    ax.set_aspect("equal")
    ax.set_xlabel("real part")
    ax.set_ylabel("imaginary part")
    ax.set_title(title)


def plot_distance_matrix(D, labels=None, title="Distance matrix", ax=None,
                         noise_floor=None):
    """Heatmap of a distance matrix with group labels on both axes.

    Parameters
    ----------
    D : array-like or DataFrame of shape (n_systems, n_systems)
        Distances (e.g. from ``DSA().fit_transform``).
    labels : sequence of str or None
        Group of each system; systems are ordered by group and groups marked.
    title : str
        Axes title.
    ax : matplotlib Axes or None
        Where to draw; None makes a new figure.
    noise_floor : array-like of shape (n_systems,) or None, default=None
        Each system's noise floor (:func:`skdsa.stats.noise_floor`). The cells
        whose distance does not exceed the larger floor of the two systems
        are marked with a white dot: those pairs are not shown to differ.

    Returns
    -------
    fig : matplotlib Figure
    """
    plt = _pyplot()
    D = np.asarray(D, dtype=float)
    labels, groups = _groups(labels, len(D))
    order = np.argsort([groups.index(label) for label in labels], kind="stable")
    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=(6, 5))
    image = ax.imshow(D[np.ix_(order, order)], cmap="viridis")
    fig.colorbar(image, ax=ax, label="distance")
    sorted_labels = labels[order]
    ticks = [np.mean(np.flatnonzero(sorted_labels == g)) for g in groups]
    ax.set_xticks(ticks, groups, rotation=30, ha="right")
    ax.set_yticks(ticks, groups)
    if noise_floor is not None:
        floor = np.asarray(noise_floor, dtype=float)
        if floor.shape != (len(D),):
            raise ValueError(f"noise_floor has shape {floor.shape}; expected ({len(D)},), "
                             "one floor per system.")
        floor = floor[order]
        rows, columns = np.nonzero(D[np.ix_(order, order)]
                                   <= np.maximum(floor[:, None], floor[None, :]))
        off_diagonal = rows != columns
        ax.scatter(columns[off_diagonal], rows[off_diagonal], s=6, color="white",
                   label="within noise floor")
    for edge in np.flatnonzero(sorted_labels[1:] != sorted_labels[:-1]) + 0.5:
        ax.axhline(edge, color="white", lw=1)
        ax.axvline(edge, color="white", lw=1)
    ax.set_xlabel("system")
    ax.set_ylabel("system")
    ax.set_title(title)
    fig.tight_layout()
    return fig


def plot_mds(D, labels=None, title="MDS embedding", random_state=0, ax=None):
    """2D metric MDS embedding of a distance matrix, coloured by group.

    Parameters
    ----------
    D : array-like of shape (n_systems, n_systems)
        Symmetric distances.
    labels : sequence of str or None
        Group of each system (legend entries).
    title : str
        Axes title.
    random_state : int
        Seed of MDS.
    ax : matplotlib Axes or None
        Where to draw.

    Returns
    -------
    fig : matplotlib Figure
    """
    plt = _pyplot()
    D = np.asarray(D, dtype=float)
    labels, groups = _groups(labels, len(D))
    embedding = mds_embedding(D, random_state=random_state)
    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=(5.5, 4.5))
    for group in groups:
        points = embedding[labels == group]
        ax.scatter(points[:, 0], points[:, 1], label=str(group), s=40)
    ax.set_aspect("equal", adjustable="datalim")  # distances read the same both ways
    ax.ticklabel_format(style="sci", axis="both", scilimits=(-2, 3))
    ax.locator_params(nbins=5)
    ax.set_xlabel("MDS dimension 1")
    ax.set_ylabel("MDS dimension 2")
    ax.set_title(title)
    ax.legend(title="group")
    fig.tight_layout()
    return fig


def plot_eigenvalues(operators, labels=None, title="Eigenvalues of the operators",
                     zoom=False, ax=None):
    """Eigenvalues of operators in the complex plane, with the unit circle.

    Parameters
    ----------
    operators : sequence of ndarray of shape (n, n)
        E.g. ``DSA().fit(X).operators_``.
    labels : sequence of str or None
        Group of each operator (legend entries).
    title : str
        Axes title.
    zoom : bool, default=False
        Fit the axes to the eigenvalues (with a margin) instead of showing the
        whole unit circle; useful when they crowd together.
    ax : matplotlib Axes or None
        Where to draw.

    Returns
    -------
    fig : matplotlib Figure
    """
    plt = _pyplot()
    labels, groups = _groups(labels, len(operators))
    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=(5, 5))
    _complex_plane(ax, title)
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    markers = "o^sDvP*X"
    every = []
    for k, group in enumerate(groups):
        values = np.concatenate([np.linalg.eigvals(A) for A, label in zip(operators, labels)
                                 if label == group])
        every.append(values)
        # Hollow markers, each group smaller than the one before: eigenvalues that
        # coincide (e.g. at 1) stay visible as nested markers.
        ax.scatter(values.real, values.imag, s=max(60 - 16 * k, 12), label=str(group),
                   facecolors="none", edgecolors=colours[k % len(colours)], linewidths=1.2,
                   marker=markers[k % len(markers)])
    if zoom:
        every = np.concatenate(every)
        centre = np.array([every.real.min() + every.real.max(),
                           every.imag.min() + every.imag.max()]) / 2
        half = max(np.ptp(every.real), np.ptp(every.imag), 1e-3) * 0.6
        ax.set_xlim(centre[0] - half, centre[0] + half)
        ax.set_ylim(centre[1] - half, centre[1] + half)
    ax.legend(loc="lower left", fontsize="small")
    fig.tight_layout()
    return fig


def plot_residual_spectrum(dmd, X=None, title="Eigenvalues by residual", ax=None):
    """Eigenvalues of a fitted DMD model in the complex plane, coloured by residual.

    Eigenpairs that the data follow have residuals near 0; those fitted to
    noise have large residuals (see :class:`~skdsa.DMDRegressor`).

    Parameters
    ----------
    dmd : DMDRegressor or Pipeline ending in one
        Fitted model.
    X : time series or None, default=None
        Data to evaluate the residuals on (e.g. held-out trials, passed
        through the pipeline's earlier steps); None uses ``residuals_`` of the
        training data.
    title : str
        Axes title.
    ax : matplotlib Axes or None
        Where to draw.

    Returns
    -------
    fig : matplotlib Figure
    """
    plt = _pyplot()
    model = _last_step(dmd)
    if X is None:
        residuals = model.residuals_
    else:
        residuals = model.eigenvalue_residuals(X if model is dmd else dmd[:-1].transform(X))
    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=(5.5, 4.5))
    _complex_plane(ax, title)
    values = model.eigenvalues_
    points = ax.scatter(values.real, values.imag, c=residuals, cmap="plasma", s=40,
                        vmin=0, vmax=max(1.0, residuals.max()), edgecolors="k")
    fig.colorbar(points, ax=ax, label="residual")
    fig.tight_layout()
    return fig


def sweep_table(cv_results, x, y, score="mean_test_score"):
    """``GridSearchCV.cv_results_`` over two parameters as a table of scores.

    Parameters
    ----------
    cv_results : dict
        ``GridSearchCV(...).cv_results_``.
    x, y : str
        Parameter names, e.g. ``"hankel__n_delays"`` (columns) and
        ``"dmd__rank"`` (rows).
    score : str, default="mean_test_score"
        Column of ``cv_results`` to tabulate (best over any other parameter).

    Returns
    -------
    table : pandas.DataFrame
        Rows are the values of ``y``, columns those of ``x``.
    """
    import pandas as pd

    results = pd.DataFrame(cv_results)
    missing = [f"param_{name}" for name in (x, y) if f"param_{name}" not in results]
    if missing:
        raise ValueError(f"cv_results has no column {missing}; its parameters are "
                         f"{[c[6:] for c in results if c.startswith('param_')]}.")
    return results.pivot_table(index=f"param_{y}", columns=f"param_{x}", values=score,
                               aggfunc="max").rename_axis(index=y, columns=x)


def plot_sweep(cv_results, x, y, score="mean_test_score", title=None, ax=None):
    """Heatmap of a cross-validated score over two hyperparameters.

    For a ``GridSearchCV`` over ``n_delays`` x ``rank`` of a
    ``Pipeline([HankelEmbedder(), DMDRegressor(n_observed=...)])``, the score is
    the held-out forecast R^2, and the heatmap shows where more delays or
    modes stop paying.

    Parameters
    ----------
    cv_results : dict
        ``GridSearchCV(...).cv_results_``.
    x, y : str
        Parameter names for the columns and rows (see :func:`sweep_table`).
    score : str, default="mean_test_score"
        Column of ``cv_results`` to show.
    title : str or None
        Axes title (default: the score).
    ax : matplotlib Axes or None
        Where to draw.

    Returns
    -------
    fig : matplotlib Figure
    """
    plt = _pyplot()
    table = sweep_table(cv_results, x, y, score)
    fig, ax = (ax.figure, ax) if ax is not None else plt.subplots(figsize=(6, 4.5))
    image = ax.imshow(table.to_numpy(dtype=float), cmap="viridis", aspect="auto",
                      origin="lower")
    fig.colorbar(image, ax=ax, label=score)
    for (row, column), value in np.ndenumerate(table.to_numpy(dtype=float)):
        ax.text(column, row, f"{value:.3f}", ha="center", va="center", color="white",
                fontsize="small")
    ax.set_xticks(range(table.shape[1]), [str(v) for v in table.columns])
    ax.set_yticks(range(table.shape[0]), [str(v) for v in table.index])
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    ax.set_title(title or score)
    fig.tight_layout()
    return fig


def plot_robustness(result, title="Robustness to hyperparameters"):
    """How much conclusions depend on the hyperparameters (:func:`skdsa.stats.robustness`).

    Left: the rank correlation between the distance matrices of every two
    settings. Right: the silhouette of the labels under each setting (with
    labels), or the agreement of nearest neighbours (without).

    Parameters
    ----------
    result : RobustnessResult
        From :func:`skdsa.stats.robustness`.
    title : str
        Figure title.

    Returns
    -------
    fig : matplotlib Figure
    """
    plt = _pyplot()
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8))
    names = list(result.rank_correlation.index)

    def heatmap(ax, table, title, **colours):
        image = ax.imshow(table.to_numpy(), **colours)
        ax.set_xticks(range(len(names)), names, rotation=60, ha="right", fontsize="small")
        ax.set_yticks(range(len(names)), names, fontsize="small")
        ax.set_title(title)
        fig.colorbar(image, ax=ax)

    heatmap(left, result.rank_correlation, "rank correlation of distances", vmin=-1, vmax=1,
            cmap="RdBu_r")
    if "silhouette" in result.settings:
        right.barh(range(len(names)), result.settings["silhouette"])
        right.set_yticks(range(len(names)), names, fontsize="small")
        right.invert_yaxis()
        right.axvline(0, color="grey", linewidth=0.8)
        right.set_xlabel("silhouette of the labels")
    else:
        heatmap(right, result.neighbour_agreement, "same nearest neighbour", vmin=0, vmax=1)
    fig.suptitle(title)
    fig.tight_layout()
    return fig
