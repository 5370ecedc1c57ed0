/* version.h - the program version: part of what a run is a function of. */
#ifndef PORTSIM_CLI_VERSION_H
#define PORTSIM_CLI_VERSION_H

#define PORTSIM_VERSION "0.1.0"

#endif /* PORTSIM_CLI_VERSION_H */
