"""Hello, Flask: you write the app here, from step 2 on."""
