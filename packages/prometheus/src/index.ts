// The prometheus adapter lands with the rollout engine (see ARCHITECTURE.md for what it owns).
export {};
