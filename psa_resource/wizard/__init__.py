from . import psa_resource_suggestion
from . import psa_resource_suggestion_wizard
