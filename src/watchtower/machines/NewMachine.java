package watchtower.machines;

/** What creating a machine returns: the only time its token exists outside that machine. */
public record NewMachine(String name, String token) {}
