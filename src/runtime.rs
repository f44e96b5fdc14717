//! The one event loop: terminal input, gateway, API results and the next deadline.
