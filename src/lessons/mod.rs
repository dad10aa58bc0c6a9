//! The lecture's experiments, one module each (see issue 3).
