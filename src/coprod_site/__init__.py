"""coprod-site: the generator of the Co-production Impact and Evidence library.

The public API is deliberately small: load a content folder into a `Site` (collecting every
problem as a `Diagnostic`), and build that site into an output folder.
"""

from coprod_site.diagnostics import Diagnostic, Severity

__version__ = "0.1.0"

__all__ = ["Diagnostic", "Severity", "__version__"]
