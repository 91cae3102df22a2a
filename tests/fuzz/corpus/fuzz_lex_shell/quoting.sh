echo $'\x63url \u00e9 \101 \cA \U0001F600' 'rm -rf /' "a \"b\" $x"
