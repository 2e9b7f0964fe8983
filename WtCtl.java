///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS info.picocli:picocli:4.7.7
//DEPS com.fasterxml.jackson.core:jackson-databind:2.23.0
//SOURCES src/watchtower/ctl/*.java
//SOURCES src/watchtower/install/*.java
//FILES personas/=personas/*.json
//DESCRIPTION Watchtower from the command line. Example: jbang wtctl@uvs approve 12

import watchtower.ctl.Root;

/**
 * wtctl's entry: the commands live in src/watchtower/ctl (Root lists them). Jackson is on the
 * classpath only for `hooks` (watchtower.install edits settings files with it); every other
 * command parses with ctl/MiniJson and talks HttpURLConnection, so they never load it.
 */
public class WtCtl {
    public static void main(String[] args) {
        System.exit(Root.commandLine(args).execute(args));
    }
}
