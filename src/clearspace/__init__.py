"""clearspace: a self-hosted trust & safety engine for Chinese- and English-language communities.

Importing the package does no work: models and tables load on first use.
"""

from clearspace.engine import Engine
from clearspace.errors import ClearspaceError
from clearspace.result import ItemError, ScoreResult
from clearspace.types import Signal

__all__ = ["ClearspaceError", "Engine", "ItemError", "ScoreResult", "Signal"]
