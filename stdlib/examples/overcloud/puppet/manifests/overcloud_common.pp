# The host puppet every node of the __ROLE__ role applies at each step,
# before the step_config of its services that are not containerized.
include ::tripleo::packages
include ::tripleo::firewall
