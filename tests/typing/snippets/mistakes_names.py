import pyopenai
from pyopenai import DefaultHttpx2Clent  # expect-error

print(DefaultHttpx2Clent, pyopenai.Opn)  # expect-error
