"""链长制·党建引领监测驾驶舱."""
import logging as _logging

# Diagnostics go to whatever the host configures (the Streamlit server's log); never printed on a bare CLI.
_logging.getLogger(__name__).addHandler(_logging.NullHandler())
