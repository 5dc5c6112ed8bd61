"""Detectors turn a :class:`~clearspace.text.document.Document` into signals."""
