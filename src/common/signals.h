// Graceful shutdown on SIGINT/SIGTERM: block them in every thread, wait for one in main.
#ifndef ORDO_COMMON_SIGNALS_H_
#define ORDO_COMMON_SIGNALS_H_

namespace ordo {

// Blocks SIGINT and SIGTERM in the calling thread and every thread it starts later.
// Call first thing in main(), before gRPC or a pool starts a thread.
void BlockShutdownSignals();

// Waits until SIGINT or SIGTERM arrives (they must be blocked); returns its number.
int WaitForShutdownSignal();

}  // namespace ordo

#endif  // ORDO_COMMON_SIGNALS_H_
