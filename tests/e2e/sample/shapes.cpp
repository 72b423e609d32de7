#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>
#include <iostream>

namespace shapes {
struct Shape {
  virtual ~Shape() = default;
  virtual double area() const = 0;
};
struct Square : Shape {
  explicit Square(double s) : side(s) {}
  double area() const override { return side * side; }
  double side;
};
}  // namespace shapes

double total_area(const std::vector<std::unique_ptr<shapes::Shape>>& all) {
  double sum = 0;
  for (const auto& s : all) sum += s->area();
  return sum;
}

std::map<std::string, int> count_words(const std::vector<std::string>& words) {
  std::map<std::string, int> counts;
  for (const auto& w : words) ++counts[w];
  return counts;
}

int main() {
  std::vector<std::unique_ptr<shapes::Shape>> all;
  all.push_back(std::make_unique<shapes::Square>(2.0));
  std::cout << total_area(all) << " " << count_words({"a", "b", "a"}).size() << "\n";
  return 0;
}
