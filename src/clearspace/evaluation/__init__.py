"""Evaluation harness and dataset readers for the shared labelled datasets."""
