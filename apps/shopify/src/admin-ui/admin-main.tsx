/** @module The embedded admin's browser entry. */
export {};
