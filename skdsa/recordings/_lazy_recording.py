"""Recordings kept as their raw trials and computed from them on demand."""


class LazyRecording:
    """Base of recordings computed from raw trials on demand, such as a delay embedding.

    The recordings layer handles these through this interface only (their trial
    lengths, an axis-0 selection, a description for messages), so it does not
    depend on how a subclass computes its values.

    Attributes
    ----------
    series : list of ndarray of shape (n_timepoints_i, n_features)
        The raw trials.
    layout : {"2d", "3d", "list"}
        Structure of the recording (see ``restore_layout``).
    """

    def take(self, key):
        """Axis-0 selection (trials, or timepoints of a single series), of the same kind."""
        raise NotImplementedError

    def describe(self):
        """A short description of the recording for error messages."""
        raise NotImplementedError
