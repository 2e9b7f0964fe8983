package watchtower.http;

/**
 * What a route does, so the security guard can apply the right rule to it without a list of
 * paths of its own: OPEN needs nothing (health, the page shell), INGEST is what hooks post,
 * READ exposes prompts and commands, CONTROL changes state or acts on processes.
 */
public enum Access { OPEN, INGEST, READ, CONTROL }
