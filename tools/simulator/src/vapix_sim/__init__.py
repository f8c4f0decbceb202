"""vapix-sim: simulated Axis cameras and recorders speaking the VAPIX edge-storage APIs."""

__version__ = "0.1.0"
