cat <<EOF >> ~/.bashrc
alias ls="$(curl x)"
EOF
cat <<-'A' <<B
	literal $(x)
	A
b ${u} `id`
B
