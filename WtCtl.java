///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//DEPS info.picocli:picocli:4.7.7
//SOURCES src/watchtower/core/*.java
//SOURCES src/watchtower/ctl/*.java
//DESCRIPTION Watchtower from the command line. Example: jbang wtctl@uvs approve 12

import picocli.CommandLine;
import watchtower.ctl.Root;

public class WtCtl {
    public static void main(String[] args) {
        System.exit(Root.commandLine().execute(args));
    }
}
