"""lagebild: German news in, structured knowledge out.

The public API is what ``__all__`` lists; everything else is private and may change.
"""

from lagebild.api import Failure, analyze_path, analyze_paths, analyze_text
from lagebild.corpus import Corpus
from lagebild.errors import ConfigError, InputError, LagebildError, PipelineError
from lagebild.model import SCHEMA, Article
from lagebild.pipeline import Pipeline
from lagebild.settings import Settings, settings_from

__version__ = "0.1.0"

__all__ = [
    "SCHEMA",
    "Article",
    "ConfigError",
    "Corpus",
    "Failure",
    "InputError",
    "LagebildError",
    "Pipeline",
    "PipelineError",
    "Settings",
    "__version__",
    "analyze_path",
    "analyze_paths",
    "analyze_text",
    "settings_from",
]
