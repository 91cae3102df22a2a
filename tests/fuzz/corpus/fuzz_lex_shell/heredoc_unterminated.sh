cat <<EOF
never ends $(id)
