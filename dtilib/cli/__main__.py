"""``python -m dtilib.cli …`` is ``dti …``."""

import sys

from . import main

sys.exit(main())
