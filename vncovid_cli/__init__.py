"""vncovid: normalized data from Vietnamese COVID-19 administrative directives.

>>> from vncovid_cli import extract
>>> extract("Số 506-CV/HU\\n...")["doc_number"]
'506-CV/HU'
"""

__version__ = "0.1.0"

__all__ = ["__version__", "extract"]


def __getattr__(name: str):
    if name == "extract":  # keep `import vncovid_cli` light for the CLI's start-up
        from .extraction import extract

        return extract
    raise AttributeError(name)
