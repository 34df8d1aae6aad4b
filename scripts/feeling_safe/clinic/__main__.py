"""`python -m feeling_safe.clinic clinics/example.yml [--out DIR] [--handouts]` (make clinic)."""
import sys

from feeling_safe.clinic.site import main

sys.exit(main())
