/* natprofiles.h - the NAT profiles: defaults for every nat.* key and the
 * words the vendor's metrics use when a flow cannot be translated.
 *
 * Values and sources: README.md ("NAT profiles") and
 * ../shared/reference/cloud-nat-facts.md.  Where the sources disagree the
 * value is a key (a scenario overrides it) whose default is the newest
 * documented one.
 */
#ifndef PORTSIM_MODELS_NATPROFILES_H
#define PORTSIM_MODELS_NATPROFILES_H

#include "models/params.h"

struct natprofile {
    const char *name;               /* "azure-natgw" */
    const char *systems;            /* one line for people */
    struct nat_params defaults;     /* every nat.* key (syn_* from the stack) */
    uint32_t ips_max;               /* public IPs the product allows */
    const char *failure_words;      /* "SnatConnectionCount Failed" */
    const char *metric_words;       /* the vendor's metric for ports in use */
};

/* The profile 'id' (NAT_PROFILE_NONE < id < NAT_PROFILE_COUNT); a constant. */
const struct natprofile *natprofile_get(enum nat_profile_id id);

/* SYN retransmissions before connect() times out on stack profile 'sp'
 * (Linux tcp_syn_retries 6, Windows TcpMaxConnectRetransmissions 2,
 * FreeBSD and macOS about 6 within 75 s). */
uint32_t natprofile_syn_retries(enum profile_id sp);

#endif /* PORTSIM_MODELS_NATPROFILES_H */
