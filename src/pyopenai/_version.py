__title__ = "pyopenai"
__version__ = "0.1.0"
