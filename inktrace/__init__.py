__version__ = "0.0.1"

import warnings
# fastai decorates some of its layers with torch.jit.script when it is imported, and torch >= 2.10 warns about that
# on every run (`FutureWarning: torch.jit.script is deprecated`) before the first line of any inktrace command.
# That one message is silenced here, before any inktrace module imports fastai; every other warning still shows.
warnings.filterwarnings('ignore', message=r'`torch\.jit\.script` is deprecated', category=FutureWarning)
