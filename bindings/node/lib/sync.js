// SPDX-License-Identifier: MIT
'use strict';
/*
 * Sync (docs/sync.md) for the Node binding: the methods lib/index.js adds to Collection.
 *
 *   collectionId      the 16-byte id every copy shares (a Buffer)
 *   replicaId         this copy's id (a Number)
 *   syncState()       what this copy holds (its version vector): a Buffer, or pieces to `write`
 *   syncChanges(peer) the changeset a peer lacks, given its syncState() (null: everything)
 *   syncApply(cs)     applies a changeset in one transaction: a frozen SyncReport
 *   syncWith(other)   both ways between two open collections: [what this got, what other got]
 *   Collection.clone(path, cs)  a new copy from a changeset of everything
 *
 * A changeset or a state passed in is a Buffer / Uint8Array, or an iterable of them (the
 * pieces a `write` callback received, a generator reading a file with fs.readSync). The
 * library reads it synchronously, so an asynchronous stream is read into memory first.
 * An exception thrown by the iterable or by `write` stops the call (nothing is applied)
 * and is rethrown.
 */

function install({ lib, C, koffi, AllianceError, HANDLE, CALL, Collection, fromC, initialised, takeStruct, int64 }) {
  const notBytes = (what, value) => new AllianceError(C.EINVAL,
    `${what} must be a Buffer, a Uint8Array or an iterable of them, not ${value === null ? 'null' : typeof value}`);

  /** The pieces of `source` as an iterator of Uint8Array. */
  function pieces(source, what) {
    if (source instanceof Uint8Array) return [source][Symbol.iterator]();
    if (source instanceof ArrayBuffer) return [new Uint8Array(source)][Symbol.iterator]();
    if (source !== null && typeof source === 'object' && typeof source[Symbol.iterator] === 'function') {
      const inner = source[Symbol.iterator]();
      return {
        next() {
          const r = inner.next();
          if (r.done) return r;
          if (r.value instanceof Uint8Array) return r;
          throw notBytes(`a piece of ${what}`, r.value);
        },
      };
    }
    throw notBytes(what, source);
  }

  /** An alliance_read_fn over `source`, and the exception it caught (if any). */
  function reader(source, what) {
    const iterator = pieces(source, what); // refused here, before any C call, if it is not bytes
    const state = { failure: null, callback: null };
    let current = null;
    let offset = 0;
    state.callback = (opaque, buf, cap, outLen) => {
      try {
        while (current === null || offset >= current.length) {
          const r = iterator.next();
          if (r.done) {
            koffi.encode(outLen, 'size_t', 0);
            return 0;
          }
          current = r.value;
          offset = 0;
        }
        const n = Math.min(Number(cap), current.length - offset);
        new Uint8Array(koffi.view(buf, n)).set(current.subarray(offset, offset + n));
        offset += n;
        koffi.encode(outLen, 'size_t', n);
        return 0;
      } catch (e) {
        state.failure = e;
        return 1; // the library answers EIO and applies nothing; the caller rethrows e
      }
    };
    return state;
  }

  /** Runs `run(readCallback)` and throws the reader's exception or the library's error. */
  function withReader(coll, source, what, run) {
    const r = reader(source, what);
    const rc = run(r.callback);
    if (r.failure) throw r.failure;
    if (rc < 0) throw new AllianceError(rc, lib.alliance_errmsg(coll._ptr));
    return rc;
  }

  function syncReport(ptr) {
    const r = fromC(takeStruct(ptr, 'alliance_sync_report'));
    return Object.freeze({ ...r, conflictLines: Object.freeze(r.conflictText.split('\n').filter(Boolean)) });
  }

  const methods = {
    /** The collection's 16-byte id, shared by every copy of it (a Buffer). */
    get collectionId() {
      const out = Buffer.alloc(16);
      this[CALL](lib.alliance_collection_id, this[HANDLE](), out, out.length);
      return out;
    },

    /** This copy's replica id: never shared with another copy. */
    get replicaId() {
      const out = [0];
      this[CALL](lib.alliance_replica_id, this[HANDLE](), out);
      return int64(out[0]);
    },

    /** What this copy holds (its version vector): a Buffer, or with `write` handed over piece by
     * piece (write(Buffer)) and undefined returned; `write` has exportDeck()'s rules. */
    syncState({ write = null } = {}) {
      return this._export(write, (callback) => lib.alliance_sync_state(this[HANDLE](), callback, null));
    },

    /** The changeset a peer lacks, given the peer's syncState() (null: everything, for
     * Collection.clone): a Buffer, or pieces handed to `write`. */
    syncChanges(peerState = null, { write = null } = {}) {
      const handle = this[HANDLE]();
      if (peerState === null || peerState === undefined)
        return this._export(write, (callback) => lib.alliance_sync_changes(handle, null, null, callback, null));
      const peer = reader(peerState, 'the peer state');
      let out;
      try {
        out = this._export(write, (callback) => lib.alliance_sync_changes(handle, peer.callback, null,
                                                                         callback, null));
      } catch (e) {
        throw peer.failure || e; // the reader's own exception, not the EIO the library made of it
      }
      if (peer.failure) throw peer.failure;
      return out;
    },

    /** Applies a changeset in one transaction (all of it or nothing); returns the SyncReport.
     * One of another collection throws EFOREIGN unless `force`; a damaged one ECORRUPT. */
    syncApply(changeset, { force = false } = {}) {
      const options = initialised(lib.alliance_sync_options_init, C.SYNC_OPTIONS_VERSION);
      options.force = force ? 1 : 0;
      const out = [null];
      try {
        withReader(this, changeset, 'the changeset',
                   (callback) => lib.alliance_sync_apply(this[HANDLE](), options, callback, null, out));
      } catch (e) {
        if (out[0]) lib.alliance_free(out[0]);
        throw e;
      }
      return syncReport(out[0]);
    },

    /** Syncs with another open collection both ways: [the report of what this one received,
     * the report of what `other` received]. */
    syncWith(other, { force = false } = {}) {
      if (!(other instanceof Collection)) throw new AllianceError(C.EINVAL, 'syncWith() takes a Collection');
      const mine = this.syncApply(other.syncChanges(this.syncState()), { force });
      const theirs = other.syncApply(this.syncChanges(other.syncState()), { force });
      return [mine, theirs];
    },
  };
  for (const [name, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(methods)))
    Object.defineProperty(Collection.prototype, name, { ...descriptor, enumerable: false });

  /** A new copy at `path` (a new file, or ':memory:') from a changeset of everything
   * (syncChanges() with no peer state); options as for new Collection(). Returns
   * { collection, report }; on failure nothing is left open. */
  Collection.clone = function clone(path, changeset, options = {}) {
    const coll = new Collection(path, { ...options, create: true });
    try {
      const out = [null];
      withReader(coll, changeset, 'the changeset',
                 (callback) => lib.alliance_sync_clone(coll[HANDLE](), callback, null, out));
      return { collection: coll, report: syncReport(out[0]) };
    } catch (e) {
      coll.close();
      throw e;
    }
  };
}

module.exports = { install };
