"""flaskr: the Flask tutorial's blog. You write it here, from step 1 on."""
