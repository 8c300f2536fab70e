#include "reuse_clusters.h"

#include <algorithm>
#include <numeric>
#include <tuple>

namespace neardup {
namespace {

class DisjointSets {
 public:
  explicit DisjointSets(size_t n) : parent_(n) {
    std::iota(parent_.begin(), parent_.end(), 0);
  }
  uint32_t Find(uint32_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }
  // The smaller root becomes the parent, so roots do not depend on order.
  void Join(uint32_t x, uint32_t y) {
    x = Find(x);
    y = Find(y);
    if (x < y) {
      parent_[y] = x;
    } else if (y < x) {
      parent_[x] = y;
    }
  }

 private:
  std::vector<uint32_t> parent_;
};

// True if two spans overlap by at least half of the longer one: mostly the
// same text. (Half of the shorter would let one long passage join every
// short one inside it, and chain unrelated stories into one cluster.)
bool Overlap(const TextSpan& x, const TextSpan& y) {
  const uint32_t begin = std::max(x.begin, y.begin);
  const uint32_t end = std::min(x.end, y.end);
  if (end <= begin) return false;
  const uint32_t longer = std::max(x.end - x.begin, y.end - y.begin);
  return 2 * static_cast<uint64_t>(end - begin) >= longer;
}

}  // namespace

JoinedPassages JoinPassages(const std::vector<DocumentPair>& aligned,
                            const std::vector<DocumentPair>& carried,
                            const ClusterPlan& plan) {
  JoinedPassages joined;
  std::vector<JoinedPassages::Entry>& entries = joined.entries;
  // Every passage of a clustered pair is a node with a span in each of its
  // two documents.
  uint32_t nodes = 0;
  for (const std::vector<DocumentPair>* list : {&aligned, &carried}) {
    for (const DocumentPair& pair : *list) {
      if (!plan.clustered(pair.a)) continue;
      for (const Passage& passage : pair.passages) {
        entries.push_back({pair.a, passage.a, nodes});
        entries.push_back({pair.b, passage.b, nodes});
        ++nodes;
      }
    }
  }
  const auto by_place = [](const JoinedPassages::Entry& x,
                           const JoinedPassages::Entry& y) {
    return std::tie(x.document, x.span.begin, x.span.end, x.node) <
           std::tie(y.document, y.span.begin, y.span.end, y.node);
  };
  std::sort(entries.begin(), entries.end(), by_place);
  // Sweep each document's spans in order: a span joins the one before it and
  // the one reaching furthest before it if they overlap enough.
  DisjointSets sets(nodes);
  for (size_t e = 0, reach = 0; e < entries.size(); ++e) {
    if (e == 0 || entries[e].document != entries[e - 1].document) {
      reach = e;
      continue;
    }
    if (Overlap(entries[e].span, entries[reach].span)) {
      sets.Join(entries[e].node, entries[reach].node);
    }
    if (Overlap(entries[e].span, entries[e - 1].span)) {
      sets.Join(entries[e].node, entries[e - 1].node);
    }
    if (entries[e].span.end > entries[reach].span.end) reach = e;
  }
  joined.set.resize(nodes);
  for (uint32_t node = 0; node < nodes; ++node)
    joined.set[node] = sets.Find(node);
  return joined;
}

ClusterPlan::ClusterPlan(size_t documents,
                         const std::vector<IndexPair>& candidates,
                         int max_pairwise) {
  DisjointSets groups(documents);
  for (const auto& [a, b] : candidates) groups.Join(a, b);
  std::vector<uint32_t> size(documents, 0);
  for (size_t d = 0; d < documents; ++d) {
    ++size[groups.Find(static_cast<uint32_t>(d))];
  }
  const size_t most = static_cast<size_t>(std::max(2, max_pairwise));
  clustered_.assign(documents, 0);
  for (size_t d = 0; d < documents; ++d) {
    if (size[groups.Find(static_cast<uint32_t>(d))] > most) {
      clustered_[d] = 1;
      ++clustered_documents_;
    }
  }
  // Adjacency lists (sorted, as candidates are) of clustered documents.
  std::vector<uint32_t> first(documents + 1, 0), degree(documents, 0);
  for (const auto& [a, b] : candidates) {
    if (!clustered_[a]) {
      first_round_.push_back({a, b});
      continue;
    }
    ++degree[a];
    ++degree[b];
  }
  for (size_t d = 0; d < documents; ++d) first[d + 1] = first[d] + degree[d];
  std::vector<uint32_t> neighbours(first[documents]);
  std::vector<uint32_t> filled(first.begin(), first.end() - 1);
  for (const auto& [a, b] : candidates) {
    if (!clustered_[a]) continue;
    neighbours[filled[a]++] = b;
    neighbours[filled[b]++] = a;
  }
  for (size_t d = 0; d < documents; ++d) {
    std::sort(neighbours.begin() + first[d], neighbours.begin() + first[d + 1]);
  }
  // Each group's root: its document with the most candidate pairs (the
  // lowest index among equals).
  std::vector<uint32_t> root(documents, UINT32_MAX);
  for (size_t d = 0; d < documents; ++d) {
    if (!clustered_[d]) continue;
    const uint32_t group = groups.Find(static_cast<uint32_t>(d));
    if (root[group] == UINT32_MAX || degree[d] > degree[root[group]]) {
      root[group] = static_cast<uint32_t>(d);
    }
  }
  std::vector<uint8_t> seen(documents, 0);
  std::vector<IndexPair> tree;
  std::vector<uint32_t> queue;
  for (size_t g = 0; g < documents; ++g) {
    if (root[g] == UINT32_MAX) continue;
    queue.assign(1, root[g]);
    seen[root[g]] = 1;
    for (size_t q = 0; q < queue.size(); ++q) {
      const uint32_t x = queue[q];
      for (uint32_t k = first[x]; k < first[x + 1]; ++k) {
        const uint32_t y = neighbours[k];
        if (seen[y]) continue;
        seen[y] = 1;
        queue.push_back(y);
        tree.push_back({std::min(x, y), std::max(x, y)});
      }
    }
  }
  std::sort(tree.begin(), tree.end());
  for (const auto& pair : candidates) {
    if (!clustered_[pair.first]) continue;
    if (std::binary_search(tree.begin(), tree.end(), pair)) continue;
    rest_.push_back(pair);
  }
  first_round_.insert(first_round_.end(), tree.begin(), tree.end());
  std::sort(first_round_.begin(), first_round_.end());
}

std::vector<IndexPair> ClusterPlan::Unlinked(
    const std::vector<DocumentPair>& aligned) const {
  return Unlinked(aligned, rest_);
}

std::vector<IndexPair> ClusterPlan::Unlinked(
    const std::vector<DocumentPair>& aligned,
    const std::vector<IndexPair>& among) const {
  // The sets of joined passages each document is in.
  const JoinedPassages joined = JoinPassages(aligned, {}, *this);
  std::vector<std::pair<size_t, uint32_t>> in;  // (document, set)
  in.reserve(joined.entries.size());
  for (const JoinedPassages::Entry& entry : joined.entries) {
    in.emplace_back(entry.document, joined.set[entry.node]);
  }
  std::sort(in.begin(), in.end());
  in.erase(std::unique(in.begin(), in.end()), in.end());
  const auto sets_of = [&in](size_t d) {
    const auto begin = std::lower_bound(in.begin(), in.end(),
                                        std::pair<size_t, uint32_t>(d, 0));
    auto end = begin;
    while (end != in.end() && end->first == d) ++end;
    return std::make_pair(begin, end);
  };
  std::vector<IndexPair> pairs;
  for (const auto& [a, b] : among) {
    const auto [a_begin, a_end] = sets_of(a);
    const auto [b_begin, b_end] = sets_of(b);
    bool linked = false;
    for (auto x = a_begin, y = b_begin; x != a_end && y != b_end;) {
      if (x->second == y->second) {
        linked = true;
        break;
      }
      x->second < y->second ? ++x : ++y;
    }
    if (!linked) pairs.push_back({a, b});
  }
  return pairs;
}

std::vector<IndexPair> ClusterPlan::NextRound(
    const std::vector<DocumentPair>& aligned) {
  if (!started_) {
    started_ = true;
    pending_ = rest_;
  }
  if (pending_.empty()) return {};
  // Links only grow as passages are added (sets of joined passages only
  // merge), so a pair found linked is dropped for good; pending_ holds the
  // pairs neither aligned nor linked yet.
  const std::vector<IndexPair> unlinked = Unlinked(aligned, pending_);
  std::vector<IndexPair> round, later;
  std::vector<uint8_t> taken(clustered_.size(), 0);  // in this round
  for (const IndexPair& pair : unlinked) {
    // Each pair of a round brings a document the round does not hold yet,
    // so k copies of a document are not all aligned with one partner.
    if (taken[pair.first] && taken[pair.second]) {
      later.push_back(pair);
      continue;
    }
    taken[pair.first] = taken[pair.second] = 1;
    round.push_back(pair);
  }
  pending_ = std::move(later);
  return round;
}

void SplitSpanningForest(size_t documents, const std::vector<IndexPair>& pairs,
                         const std::vector<uint8_t>& take,
                         std::vector<IndexPair>* forest,
                         std::vector<IndexPair>* rest) {
  DisjointSets components(documents);
  forest->clear();
  rest->clear();
  for (size_t c = 0; c < pairs.size(); ++c) {
    if (take[c] == 0) continue;
    const auto [a, b] = pairs[c];
    if (components.Find(a) == components.Find(b)) {
      rest->push_back(pairs[c]);
    } else {
      components.Join(a, b);
      forest->push_back(pairs[c]);
    }
  }
}

void GroupIntoClusters(std::vector<DocumentPair> aligned,
                       const std::vector<DocumentPair>& carried,
                       const ClusterPlan& plan,
                       std::vector<DocumentPair>* pairs,
                       std::vector<ReuseCluster>* clusters) {
  JoinedPassages joined = JoinPassages(aligned, carried, plan);
  std::vector<JoinedPassages::Entry>& entries = joined.entries;
  const size_t nodes = joined.set.size();
  // Distinct documents per set of joined passages.
  std::vector<uint32_t> documents(nodes, 0);
  {
    std::vector<std::tuple<uint32_t, size_t>> seen;  // (set, document)
    seen.reserve(entries.size());
    for (const JoinedPassages::Entry& entry : entries) {
      seen.emplace_back(joined.set[entry.node], entry.document);
    }
    std::sort(seen.begin(), seen.end());
    seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
    for (const auto& [set, document] : seen) ++documents[set];
  }
  // Sets of three or more documents become clusters; entries are still in
  // (document, begin) order, so members come out ordered.
  std::vector<uint32_t> cluster_of(nodes, UINT32_MAX);
  std::vector<ReuseCluster> found;
  for (const JoinedPassages::Entry& entry : entries) {
    const uint32_t set = joined.set[entry.node];
    if (documents[set] < 3) continue;
    if (cluster_of[set] == UINT32_MAX) {
      cluster_of[set] = static_cast<uint32_t>(found.size());
      found.emplace_back().documents = documents[set];
    }
    std::vector<ClusterMember>& members = found[cluster_of[set]].members;
    if (!members.empty() && members.back().document == entry.document &&
        entry.span.begin < members.back().span.end) {
      TextSpan& span = members.back().span;
      if (entry.span.end > span.end) {
        span.end = entry.span.end;
        span.char_end = entry.span.char_end;
      }
      continue;
    }
    members.push_back({entry.document, entry.span});
  }
  std::sort(found.begin(), found.end(),
            [](const ReuseCluster& x, const ReuseCluster& y) {
              const ClusterMember& u = x.members.front();
              const ClusterMember& v = y.members.front();
              return std::tie(u.document, u.span.begin, u.span.end) <
                     std::tie(v.document, v.span.begin, v.span.end);
            });
  for (ReuseCluster& cluster : found) clusters->push_back(std::move(cluster));

  // Passages in no cluster stay with their pair.
  std::vector<uint8_t> in_cluster(nodes, 0);
  for (uint32_t node = 0; node < nodes; ++node) {
    in_cluster[node] = documents[joined.set[node]] >= 3 ? 1 : 0;
  }
  uint32_t node = 0;
  for (DocumentPair& pair : aligned) {
    if (!plan.clustered(pair.a)) {
      pairs->push_back(std::move(pair));
      continue;
    }
    std::vector<Passage> kept;
    for (Passage& passage : pair.passages) {
      if (!in_cluster[node++]) kept.push_back(passage);
    }
    if (kept.empty()) continue;
    pair.passages = std::move(kept);
    pairs->push_back(std::move(pair));
  }
}

}  // namespace neardup
