include ::tripleo::trusted_cas
include ::tripleo::profile::base::kernel
