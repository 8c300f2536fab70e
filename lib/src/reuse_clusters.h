// Reuse clusters: how Scan aligns and reports a passage that many documents
// share, at the cost of about one alignment per document instead of one per
// pair (as passim groups reprints).
//
// Candidate pairs link documents into groups (connected components). A small
// group is aligned pair by pair. A large group is aligned along a spanning
// tree of its candidate pairs, grown breadth first from its best-connected
// document; then every other candidate pair of the group whose documents
// the tree's passages do not already link (directly or through overlapping
// passages) is aligned too, so that no document sharing a passage is lost. The
// passages found in a large group are joined wherever two of them overlap by at
// least half of the longer in one document: a joined set spanning three or more
// documents is a cluster, the rest stay pairs.
#ifndef NEARDUP_SRC_REUSE_CLUSTERS_H_
#define NEARDUP_SRC_REUSE_CLUSTERS_H_

#include <cstdint>
#include <utility>
#include <vector>

#include "neardup/neardup.h"

namespace neardup {

using IndexPair = std::pair<uint32_t, uint32_t>;  // (a, b), a < b

class ClusterPlan {
 public:
  // `candidates`: sorted, distinct pairs of document indexes below
  // `documents`. Groups of more than `max_pairwise` documents are clustered.
  ClusterPlan(size_t documents, const std::vector<IndexPair>& candidates,
              int max_pairwise);

  // The pairs to align first, sorted: every candidate pair of a small group,
  // the spanning-tree pairs of a large one.
  const std::vector<IndexPair>& first_round() const { return first_round_; }

  // The candidate pairs of large groups not aligned yet whose two documents
  // `aligned` (the pairs with passages aligned so far, sorted) does not
  // already link through joined passages, sorted: a document the tree did
  // not place in any passage, or one that shares something else with a
  // document outside its passages' sets.
  std::vector<IndexPair> Unlinked(
      const std::vector<DocumentPair>& aligned) const;

  // The next round of alignments after the first: of Unlinked(aligned),
  // leaving out pairs returned before, those taken in order that bring a
  // document the round does not hold yet (the rest wait for the next
  // round). Empty when nothing is left.
  // Called until empty, aligning each round and adding its pairs with
  // passages to `aligned`: a pair that an earlier round's passages link is
  // never aligned, so k copies of a document that shares a passage with
  // another group cost about k alignments, not k times that group's size.
  std::vector<IndexPair> NextRound(const std::vector<DocumentPair>& aligned);

  // True if document d belongs to a large group.
  bool clustered(size_t d) const { return clustered_[d] != 0; }
  size_t clustered_documents() const { return clustered_documents_; }

 private:
  // Unlinked(aligned) restricted to `among` (sorted, a subset of rest_).
  std::vector<IndexPair> Unlinked(const std::vector<DocumentPair>& aligned,
                                  const std::vector<IndexPair>& among) const;

  std::vector<IndexPair> first_round_;
  std::vector<IndexPair> rest_;  // candidate pairs of large groups not in it
  // Pairs of rest_ neither returned by NextRound nor linked yet.
  std::vector<IndexPair> pending_;
  bool started_ = false;
  std::vector<uint8_t> clustered_;
  size_t clustered_documents_ = 0;
};

// The passages of clustered pairs, joined wherever two overlap by at least
// half of the longer in one document: those of `aligned`, then those of
// `carried` (passages of copies, copies.h's CopyPassages::carried).
struct JoinedPassages {
  struct Entry {
    size_t document;
    TextSpan span;
    uint32_t node;  // passages numbered in order of `aligned`, `carried`
  };
  std::vector<Entry> entries;  // two a passage, by (document, span)
  std::vector<uint32_t> set;   // set[node]: its set's smallest node
};
JoinedPassages JoinPassages(const std::vector<DocumentPair>& aligned,
                            const std::vector<DocumentPair>& carried,
                            const ClusterPlan& plan);

// Splits the pairs c with take[c], in order, into a spanning forest of the
// graph they make (*forest: each joins two components of the pairs before
// it) and the rest (*rest). Both keep the pairs' order.
void SplitSpanningForest(size_t documents, const std::vector<IndexPair>& pairs,
                         const std::vector<uint8_t>& take,
                         std::vector<IndexPair>* forest,
                         std::vector<IndexPair>* rest);

// Moves the aligned pairs (sorted by (a, b), each with passages) of small
// groups to *pairs as they are, and groups the passages of large groups into
// *clusters and leftover two-document *pairs. The passages of `carried`
// (pairs of clustered documents) are joined with them and give their
// documents' cluster members, but are never pairs: each must join a
// cluster (a set of three or more documents), as CopyPassages::carried's
// do. Both outputs are sorted: pairs by (a, b), clusters by their first
// member.
void GroupIntoClusters(std::vector<DocumentPair> aligned,
                       const std::vector<DocumentPair>& carried,
                       const ClusterPlan& plan,
                       std::vector<DocumentPair>* pairs,
                       std::vector<ReuseCluster>* clusters);

}  // namespace neardup

#endif  // NEARDUP_SRC_REUSE_CLUSTERS_H_
