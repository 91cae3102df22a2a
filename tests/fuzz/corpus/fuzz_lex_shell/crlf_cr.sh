a
bc
echo x\
y
