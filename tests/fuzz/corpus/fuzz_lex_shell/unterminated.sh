echo "unterminated $(id
