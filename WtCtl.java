///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS info.picocli:picocli:4.7.7
//SOURCES src/watchtower/ctl/*.java
//DESCRIPTION Watchtower from the command line. Example: jbang wtctl@uvs approve 12

import watchtower.ctl.Root;

/** wtctl's entry: the commands live in src/watchtower/ctl (Root lists them). No Jackson, no HttpClient on the common paths. */
public class WtCtl {
    public static void main(String[] args) {
        System.exit(Root.commandLine().execute(args));
    }
}
