class Saver:
    def save(self, data: bytes) -> None:
        with open(self.path, "wb") as f:
            f.write(data)

if __name__ == "__main__":
    Saver().save(sys.stdin.buffer.read())
