//! The local Guilded-compatible server (REST + Engine.IO v3 gateway) for --demo and tests.
