package watchtower.install;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What an install or uninstall did to one settings file.
 *
 * @param changed   false when the file already was as asked (nothing written, no backup)
 * @param added     our hook entries now in the file (install) or 0 (uninstall)
 * @param removed   our hook entries taken out (replaced on install, removed on uninstall)
 * @param userHooks hook entries that are not ours, all kept
 * @param backup    the copy of the previous file, when it was changed and existed
 * @param summary   one or two lines for a person
 */
public record InstallResult(Path file, boolean changed, int added, int removed, int userHooks,
                            Optional<Path> backup, String summary) {}
