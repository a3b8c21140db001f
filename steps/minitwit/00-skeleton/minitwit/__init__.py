"""minitwit: a small twitter. You write it here, from step 1 on."""
