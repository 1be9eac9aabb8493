"""Where the project and the test fixtures are (imported by tests; conftest.py names clash)."""

from pathlib import Path
import sys

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
if str(ROOT / "scripts") not in sys.path:
    sys.path.insert(0, str(ROOT / "scripts"))
