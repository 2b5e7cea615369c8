"""Demo data of psa_resource: Allocations and resource requests showing utilization, over-allocation and bench."""


def generate_resource_demo(env):
    """Called by the post-init hook once the firm, its time and budgets exist."""
