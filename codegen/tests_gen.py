class TestsGenerator:
    def __init__(self, gen): self.gen = gen
    def run(self): pass
